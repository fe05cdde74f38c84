# /etc/dovecot/sieve/report-spam.sieve: a message was moved or copied into Junk.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
if environment :matches "imap.email" "*" {
  set "email" "${1}";
}

pipe :copy "sa-report" ["--user", "${username}", "--address", "${email}", "--spam"];
