// Shared state of the port of Mail::SpamAssassin::Message::Metadata::parse_received_line (Message/Metadata/Received.pm).

/** The lexical variables of parse_received_line, mutated rule by rule exactly as the Perl does. */
export interface Fields {
  ip: string;
  helo: string;
  rdns: string;
  by: string;
  id: string;
  ident: string;
  /** Perl undef until some rule sets it. */
  envfrom: string | undefined;
  /** $mta_looked_up_dns: decides no_reverse_dns vs rdns_not_in_headers (not part of the strings). */
  mtaLookedUpDns: boolean;
  auth: string;
}

export function newFields(): Fields {
  return { ip: '', helo: '', rdns: '', by: '', id: '', ident: '', envfrom: undefined, mtaLookedUpDns: false, auth: '' };
}

/**
 * What a rule group decided: 'enough' = `goto enough`, 0 = `return 0` (line skipped),
 * undefined = fall through to the next rule.
 */
export type Outcome = 'enough' | 0 | undefined;

/** The parts of the Metadata object ($self) that parse_received_line reaches into. */
export interface ParseContext {
  /** $self->found_pop_fetcher_sig(): a fetchmail/getmail handover was seen. */
  foundPopFetcherSig(): void;
  /** $self->{qmail_scanner_env_from}: set by a qmail-scanner line, consumed by the next header. */
  qmailScannerEnvFrom: string | undefined;
}
