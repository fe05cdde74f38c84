// V8 settings for the threads that analyse messages. V8 normally runs a regex as interpreted bytecode
// first and compiles it to machine code once it has been used (regexp tier-up); the pipeline runs
// hundreds of regexes a few times each per thread, so compiling straight to machine code saves the
// interpreted runs and the second compilation: about 7% of the CPU of a thread's first 600 messages
// (learnRecord over 600 corpus messages in a fresh thread), the steady state unchanged. V8 flags are process-wide (worker
// threads included); set once, before the first worker starts. Matching behaviour does not change.
import { setFlagsFromString } from 'node:v8';

let done = false;

export function tuneV8ForAnalysis(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--no-regexp-tier-up');
}
