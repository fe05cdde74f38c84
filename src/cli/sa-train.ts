#!/usr/bin/env node
// sa-train: train SpamAssassin's Bayes filter offline and ship the result as a sa-learn --backup dump.
import { SaTrainError } from '../errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
// Each command's module is loaded when it runs: verify pulls in the whole mail library and the parity
// harness, which a train run with the native engine never needs in its main thread.

const HELP = `Usage: sa-train <command> [options]

Commands:
  train     learn a training set (DIR/ham, DIR/spam) and write sa.dat for 'sa-learn --restore'
  verify    learn a training set with both engines and compare them (parity figures)
  encrypt   encrypt a training set in place with GnuPG (*.mbox -> *.mbox.gpg, *.eml -> *.eml.gpg)

Run 'sa-train <command> --help' for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  switch (cmd) {
    case 'train': {
      const { train } = await import('./train.js');
      await train(rest, io);
      return EXIT.OK;
    }
    case 'verify': // lead
      return (await import('./verify.js')).verify(rest, io);
    case 'encrypt': {
      // issue 7
      const { encrypt } = await import('./encrypt.js');
      await encrypt(rest, io);
      return EXIT.OK;
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return cmd === undefined ? EXIT.USAGE : EXIT.OK;
    default:
      process.stderr.write(`sa-train: unknown command ${JSON.stringify(cmd)}\n${HELP}`);
      return EXIT.USAGE;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof SaTrainError) {
      process.stderr.write(`sa-train: ${e.describe()}\n`);
      process.exitCode = exitCodeFor(e.code);
    } else if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string' && String((e as { code: string }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sa-train: ${e.message} (see sa-train ${process.argv[2] ?? 'train'} --help)\n`);
      process.exitCode = EXIT.USAGE;
    } else {
      process.stderr.write(`sa-train: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT.FAILURE;
    }
  },
);
