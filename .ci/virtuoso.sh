#!/usr/bin/env bash
# Start a throw-away Virtuoso on 127.0.0.1 for the store backend tests; print its SPARQL URL.
# Usage: [VIRTUOSO_SQL_PORT=1111] [VIRTUOSO_HTTP_PORT=8890] .ci/virtuoso.sh DIR
# (installs Debian's virtuoso-opensource-7-bin when missing; stop it with pkill -f DIR/virtuoso.ini)
set -euo pipefail
dir="${1:?usage: .ci/virtuoso.sh DIR}"
sql_port="${VIRTUOSO_SQL_PORT:-1111}"
http_port="${VIRTUOSO_HTTP_PORT:-8890}"
if ! command -v virtuoso-t >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin >/dev/null
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
cat > "$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile = $dir/virtuoso.db
ErrorLogFile = $dir/virtuoso.log
LockFile = $dir/virtuoso.lck
TransactionFile = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
[TempDatabase]
DatabaseFile = $dir/virtuoso-temp.db
TransactionFile = $dir/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:$sql_port
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
DirsAllowed = $dir
[HTTPServer]
ServerPort = 127.0.0.1:$http_port
MaxClientConnections = 8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
INI
# every descriptor redirected, so that a caller reading our output in $(...) is not held open
(cd "$dir" && exec virtuoso-t +configfile "$dir/virtuoso.ini" +foreground) > "$dir/stdout.log" 2>&1 < /dev/null &
for _ in $(seq 1 120); do
  if isql-vt "$sql_port" dba dba exec='status();' >/dev/null 2>&1; then break; fi
  sleep 0.5
done
isql-vt "$sql_port" dba dba exec='grant SPARQL_UPDATE to "SPARQL";' >/dev/null
for _ in $(seq 1 60); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
      "http://127.0.0.1:$http_port/sparql?query=ASK%7B%7D" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
echo "http://127.0.0.1:$http_port/sparql"
