// sa-report's command line. Dovecot's antispam pipe backend appends --spam / --ham after fixed
// arguments; IMAPSieve passes whatever list the sieve script gives (e.g. ["--user", "${username}",
// "--spam"]). Credentials never come from here: they live in the config file.
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from './config.js';
import { usageError } from './errors.js';
import type { ReportClass } from './feedback-report.js';

export const USAGE = `Usage: sa-report [options] --spam|--ham < message
       sa-report [--config FILE] --flush

Reports a message a user moved into (--spam) or out of (--ham) their Junk folder: anonymizes it,
signs and encrypts it with gpg and mails it to the feedback address. Reports that cannot be sent are
spooled and sent by the next run. See docs/sa-report.md.

Options:
  --spam, --ham        the class (the last argument, as Dovecot's antispam plugin appends it)
  -u, --user NAME      the Dovecot user (%u, \${username}); default: $USER
  -a, --address ADDR   one more address of the user (repeatable)
  -c, --config FILE    configuration file (default ${DEFAULT_CONFIG})
      --flush          only deliver the spooled reports
      --no-fail        exit 0 even on configuration errors (the user's move never fails)
  -q, --quiet          no warnings on stderr, only errors
  -h, --help           this help
  -V, --version        the version
`;

export interface ReportArgs {
  mode: 'report' | 'flush' | 'help' | 'version';
  class?: ReportClass | undefined;
  user?: string | undefined;
  addresses: string[];
  config: string;
  noFail: boolean;
  quiet: boolean;
}

export function parseReportArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ReportArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        spam: { type: 'boolean' },
        ham: { type: 'boolean' },
        user: { type: 'string', short: 'u' },
        address: { type: 'string', short: 'a', multiple: true },
        config: { type: 'string', short: 'c' },
        flush: { type: 'boolean' },
        'no-fail': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    throw usageError(`${(e as Error).message} (sa-report --help)`);
  }
  const v = parsed.values;
  const base = {
    addresses: v.address ?? [],
    config: v.config ?? DEFAULT_CONFIG,
    noFail: v['no-fail'] === true,
    quiet: v.quiet === true,
  };
  if (v.help) return { mode: 'help', ...base };
  if (v.version) return { mode: 'version', ...base };
  if (v.config === '') throw usageError('--config needs a file name');
  if (v.flush) {
    if (v.spam || v.ham) throw usageError('--flush takes no --spam/--ham');
    return { mode: 'flush', ...base };
  }
  if (v.spam && v.ham) throw usageError('give either --spam or --ham, not both');
  if (!v.spam && !v.ham) throw usageError('the class is missing: end the arguments with --spam or --ham (sa-report --help)');
  // Dovecot gives forked programs USER (the login); RECIPIENT / ORIG_RECIPIENT are addresses of the user
  // when set.
  const user = v.user ?? (env.USER || undefined);
  const fromEnv = [env.RECIPIENT, env.ORIG_RECIPIENT].filter((x): x is string => typeof x === 'string' && x.includes('@'));
  return { mode: 'report', class: v.spam ? 'spam' : 'ham', user, ...base, addresses: [...base.addresses, ...fromEnv] };
}
