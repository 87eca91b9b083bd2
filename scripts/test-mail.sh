#!/usr/bin/env bash
# A throw-away mail pair for the tests, everything in one folder and listening on 127.0.0.1 only, on free ports:
# Dovecot serving IMAP (no TLS, cleartext login, IDLE) for one user whose mail is a Maildir in the folder, and
# aiosmtpd taking SMTP and storing every message it is sent in a Maildir in the folder. Run as root (as CI does):
# Dovecot's master needs it; the mail itself belongs to the nobody user. Neither /etc/dovecot nor a system Dovecot
# is touched (scripts/install-test-dependencies.sh installs dovecot-imapd and python3-aiosmtpd).
#   scripts/test-mail.sh start DIR       -> creates DIR, starts both, waits until both ports accept connections and
#                                          prints shell-style lines on stdout: IMAP_PORT=, SMTP_PORT=, IMAP_USER=
#                                          (also the user's address), IMAP_PASSWORD=, SMTP_MAILDIR= (the Maildir
#                                          aiosmtpd stores into: new/ and cur/ hold the messages)
#   scripts/test-mail.sh stop-imap DIR   -> stops Dovecot only (an IMAP outage); the mail stays
#   scripts/test-mail.sh start-imap DIR  -> starts Dovecot again on the same port with the same mail, prints the
#                                          same lines as start
#   scripts/test-mail.sh stop DIR        -> stops both and deletes DIR
set -euo pipefail

action="${1:?start, stop-imap, start-imap or stop}"
dir="${2:?a folder for the servers}"
user="support@example.test"
wait_seconds=30

fail() {
  echo "error: $*" >&2
  exit 1
}

# When start fails half-way: what the servers logged goes to stderr, and what did start is stopped (the folder stays
# for stop to delete).
on_start_failure() {
  local log
  for log in "$dir/dovecot/dovecot.log" "$dir/smtp.log"; do
    if [ -s "$log" ]; then
      echo "--- $log ---" >&2
      tail -n 20 "$log" >&2
    fi
  done
  stop_imap || true
  stop_smtp || true
}

# Waits until 127.0.0.1:$1 accepts connections ($2 names the server in the error), for at most $wait_seconds.
wait_for_port() {
  python3 - "$1" "$wait_seconds" <<'EOF' || fail "$2 did not accept connections on 127.0.0.1:$1 within ${wait_seconds}s (logs in $dir)"
import socket, sys, time
port, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        sys.exit(0)
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.1)
EOF
}

# Waits until process $1 has gone, for at most $wait_seconds, then kills it.
wait_for_exit() {
  local pid="$1" i
  for ((i = 0; i < wait_seconds * 10; i++)); do
    kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2> /dev/null || true
}

# Dovecot's processes run as these users: the login processes as dovenull, the internal ones (auth, anvil, ...) as
# dovecot, as the Debian package sets up; both may be missing on a machine where the package made no users.
existing_user() {
  if getent passwd "$1" > /dev/null; then echo "$1"; else echo nobody; fi
}

write_dovecot_config() {
  local version login_user internal_user internal_group mail_uid mail_gid
  version="$(dovecot --version | cut -d' ' -f1)"
  login_user="$(existing_user dovenull)"
  internal_user="$(existing_user dovecot)"
  internal_group="$(id -gn "$internal_user")"
  mail_uid="$(id -u nobody)"
  mail_gid="$(id -g nobody)"

  # The settings both syntaxes share. The mail user is nobody (Dovecot refuses uid 0 for mail). chroot is empty
  # for the login processes and anvil: their default chroot would be inside base_dir, which needs to be root's
  # all the way up. IDLE is on by default; a change is noticed within a second even without inotify.
  local common
  common="$(cat <<EOF
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/state
log_path = $dir/dovecot/dovecot.log
instance_name = test-mail-$IMAP_PORT
protocols = imap
listen = 127.0.0.1
ssl = no
auth_mechanisms = plain login
default_login_user = $login_user
default_internal_user = $internal_user
default_internal_group = $internal_group
first_valid_uid = 1
mail_fsync = never
mailbox_idle_check_interval = 1 secs

namespace inbox {
  inbox = yes
  separator = /
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}

protocol imap {
  mail_max_userip_connections = 100
}

service imap-login {
  chroot =
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}

service anvil {
  chroot =
}
EOF
)"

  case "$version" in
    2.[0-3].*)
      cat > "$dir/dovecot/dovecot.conf" <<EOF
# Written by scripts/test-mail.sh for Dovecot $version (2.3 syntax).
$common

disable_plaintext_auth = no
mail_location = maildir:~/Maildir

passdb {
  driver = passwd-file
  args = $dir/dovecot/users
}

userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$dir/mail/%u
}

service imap-urlauth-login {
  chroot =
}
EOF
      ;;
    *)
      # Dovecot 2.4 (Debian trixie) wants its version first and names passdb/userdb and the mail settings anew.
      cat > "$dir/dovecot/dovecot.conf" <<EOF
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
# Written by scripts/test-mail.sh for Dovecot $version (2.4 syntax).
$common

auth_allow_cleartext = yes
mail_driver = maildir
mail_path = ~/Maildir

passdb passwd-file {
  passwd_file_path = $dir/dovecot/users
}

userdb static {
  fields {
    uid = $mail_uid
    gid = $mail_gid
    home = $dir/mail/%{user}
  }
}
EOF
      ;;
  esac
}

start_imap() {
  local log="$dir/dovecot/start.log"
  if ! dovecot -c "$dir/dovecot/dovecot.conf" < /dev/null > "$log" 2>&1; then
    cat "$log" >&2
    fail "dovecot did not start (config $dir/dovecot/dovecot.conf, log $dir/dovecot/dovecot.log)"
  fi
  wait_for_port "$IMAP_PORT" "Dovecot"
}

# Dovecot's master leads a process group of its own (it calls setsid), and its processes stay in it. Stopping only the
# master ("doveadm stop") leaves the imap process of each open session running, still serving its client: an outage
# has to end those sessions too, so the whole group gets the signal.
stop_imap() {
  local pid_file="$dir/dovecot/run/master.pid" pid
  [ -f "$pid_file" ] || return 0
  pid="$(cat "$pid_file")"
  if [ "$(ps -o pgid= -p "$pid" 2> /dev/null | tr -d ' ')" = "$pid" ]; then
    kill -TERM -- "-$pid" 2> /dev/null || true
    wait_for_exit "$pid"
    kill -KILL -- "-$pid" 2> /dev/null || true
  else
    doveadm -c "$dir/dovecot/dovecot.conf" stop > /dev/null 2>&1 || kill -TERM "$pid" 2> /dev/null || true
    wait_for_exit "$pid"
  fi
  rm -f "$pid_file"
}

stop_smtp() {
  local pid
  [ -f "$dir/smtp.pid" ] || return 0
  pid="$(cat "$dir/smtp.pid")"
  kill -TERM "$pid" 2> /dev/null || true
  wait_for_exit "$pid"
  rm -f "$dir/smtp.pid"
}

print_settings() {
  cat "$dir/mail.env"
}

load_settings() {
  [ -f "$dir/mail.env" ] || fail "$dir holds no mail servers (run: $0 start $dir)"
  # shellcheck disable=SC1091
  . "$dir/mail.env"
}

case "$action" in
  start)
    [ "$(id -u)" -eq 0 ] || fail "run as root: Dovecot's master process needs it"
    command -v dovecot > /dev/null || fail "Dovecot is not installed (scripts/install-test-dependencies.sh installs it)"
    /usr/bin/python3 -c 'import aiosmtpd' 2> /dev/null || fail "aiosmtpd is not installed (scripts/install-test-dependencies.sh installs it)"
    mkdir -p "$dir/dovecot" "$dir/mail" "$dir/smtp/tmp" "$dir/smtp/new" "$dir/smtp/cur"
    trap 'status=$?; if [ "$status" -ne 0 ]; then on_start_failure; fi' EXIT
    chmod 755 "$dir"
    chown nobody: "$dir/mail"
    read -r IMAP_PORT SMTP_PORT < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
for s in sockets:
    s.close()')
    password="$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
    cat > "$dir/mail.env" <<EOF
IMAP_PORT=$IMAP_PORT
SMTP_PORT=$SMTP_PORT
IMAP_USER=$user
IMAP_PASSWORD=$password
SMTP_MAILDIR=$dir/smtp
EOF
    # Read by Dovecot's auth process, which runs as the internal user; the password is a throw-away one.
    echo "$user:{PLAIN}$password" > "$dir/dovecot/users"
    chmod 644 "$dir/dovecot/users"
    write_dovecot_config
    start_imap

    # aiosmtpd stays in the foreground (-n: no setuid, we are root); its output goes to a file, not to the pipe our
    # caller reads, or the caller would wait for it to exit.
    setsid /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$dir/smtp" \
      < /dev/null > "$dir/smtp.log" 2>&1 &
    echo $! > "$dir/smtp.pid"
    wait_for_port "$SMTP_PORT" "aiosmtpd"
    trap - EXIT
    print_settings
    ;;
  stop-imap)
    load_settings
    stop_imap
    ;;
  start-imap)
    load_settings
    start_imap
    print_settings
    ;;
  stop)
    # Side by side: each takes a second or two to shut down.
    stop_smtp &
    stop_imap
    wait
    rm -rf "$dir"
    ;;
  *)
    echo "error: unknown action $action (start, stop-imap, start-imap or stop)" >&2
    exit 2
    ;;
esac
