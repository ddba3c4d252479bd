#!/usr/bin/env bash
# What `npm test` needs besides node_modules, set up before anything is built:
#  - PostgreSQL answering at 127.0.0.1:5432 (the store contract and cp database tests use it for real),
#    and its server binaries (initdb, pg_ctl), with which the database restart test runs a cluster of its own;
#  - Debian's Chromium at /usr/bin/chromium (the browser tests drive it; no browser is ever downloaded).
# Each is started or installed when this user can do it; otherwise the run stops at once with one line
# saying exactly what to run. DIAG_TEST_NO_SETUP=1 only checks (nothing is started or installed).
set -u

say() { printf 'npm test: %s\n' "$*" >&2; }
can_admin() { [ "$(id -u)" = 0 ] && [ -z "${DIAG_TEST_NO_SETUP:-}" ]; }

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then pg_isready -h 127.0.0.1 -p 5432 -q
  else (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

if ! pg_up; then
  clusters=$(ls /etc/postgresql 2>/dev/null | head -n 1)
  if can_admin && [ -n "$clusters" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    say "PostgreSQL is down at 127.0.0.1:5432; starting cluster $clusters/main"
    pg_ctlcluster --skip-systemctl-redirect "$clusters" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  if ! pg_up; then
    if [ -n "$clusters" ]; then
      say "PostgreSQL is not answering at 127.0.0.1:5432; run: sudo pg_ctlcluster --skip-systemctl-redirect $clusters main start"
    else
      say "PostgreSQL is not answering at 127.0.0.1:5432; run: sudo apt-get install postgresql (trust auth for 127.0.0.1, database 'test')"
    fi
    exit 1
  fi
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "PostgreSQL's server binaries are missing (the database restart test runs initdb and pg_ctl); run: sudo apt-get install postgresql"
  exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
  if can_admin && command -v apt-get >/dev/null 2>&1; then
    say "Chromium is missing (the browser tests need it); installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null 2>&1 || {
      apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1
    }
  fi
  if [ ! -x /usr/bin/chromium ]; then
    say "Chromium is missing at /usr/bin/chromium (the browser tests need it); run: sudo apt-get install chromium"
    exit 1
  fi
fi
