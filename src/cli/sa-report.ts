#!/usr/bin/env node
// sa-report: called by Dovecot (antispam pipe backend or IMAPSieve) when a user moves a message into or
// out of Junk; sends an anonymized, signed and encrypted report to the training side. docs/sa-report.md.
// Keep the import graph small: this starts once per move.
import { USAGE, parseReportArgs, type ReportArgs } from '../report/args.js';
import { REPORT_EXIT, ReportError } from '../report/errors.js';
import { runReport, version } from '../report/run.js';
import { isSaTrainError } from '../errors.js';

// Dovecot kills the program after 10 s (sieve_pipe_exec_timeout); whatever happens, end before that. The
// report is in the spool by then (or could not be made at all).
const HARD_LIMIT_MS = 9000;

async function main(argv: string[]): Promise<number> {
  let args: ReportArgs | undefined;
  try {
    args = parseReportArgs(argv);
    if (args.mode === 'help') {
      process.stdout.write(USAGE);
      return REPORT_EXIT.OK;
    }
    if (args.mode === 'version') {
      process.stdout.write(`sa-report ${version()}\n`);
      return REPORT_EXIT.OK;
    }
    if (args.mode === 'report') {
      // Only a hung network or a very slow stdin gets here; the new report is in the spool by then.
      setTimeout(() => {
        process.stderr.write(`sa-report: stopped after ${HARD_LIMIT_MS / 1000} s (Dovecot's pipe timeout); spooled reports go with the next run\n`);
        process.exit(REPORT_EXIT.OK);
      }, HARD_LIMIT_MS).unref();
    }
    return await runReport(args, { stdin: process.stdin, stderr: process.stderr });
  } catch (e) {
    let code: number;
    if (e instanceof ReportError) {
      process.stderr.write(`sa-report: ${e.describe()}\n`);
      code = e.exitCode;
    } else if (isSaTrainError(e)) {
      process.stderr.write(`sa-report: ${e.describe()}\n`);
      code = REPORT_EXIT.FAILURE;
    } else {
      process.stderr.write(`sa-report: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      code = REPORT_EXIT.FAILURE;
    }
    if (args?.noFail && args.mode === 'report') {
      process.stderr.write('sa-report: --no-fail: exiting 0 anyway\n');
      return REPORT_EXIT.OK;
    }
    return code;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
