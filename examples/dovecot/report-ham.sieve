# /etc/dovecot/sieve/report-ham.sieve: a message was moved or copied out of Junk.
require ["vnd.dovecot.pipe", "copy", "imapsieve", "environment", "variables"];

if environment :matches "imap.mailbox" "*" {
  set "mailbox" "${1}";
}
# Deleting spam (Junk -> Trash) is not a "not spam" verdict; neither is a copy within Junk.
if string :is "${mailbox}" ["Trash", "Deleted Items", "Deleted Messages", "Junk"] {
  stop;
}

if environment :matches "imap.user" "*" {
  set "username" "${1}";
}
if environment :matches "imap.email" "*" {
  set "email" "${1}";
}

pipe :copy "sa-report" ["--user", "${username}", "--address", "${email}", "--ham"];
