#!/usr/bin/env bash
# Writes an nginx configuration to DIR/nginx.conf that listens on 127.0.0.1:PORT and spreads
# requests round-robin over the Paperboy nodes on 127.0.0.1:NODE_PORT…, with its pid, logs and
# temporary files in DIR. Start it with: nginx -c DIR/nginx.conf -p DIR -g 'daemon off;'
#   usage: scripts/multinode/nginx-conf.sh DIR PORT NODE_PORT…
set -euo pipefail
dir=${1:?usage: nginx-conf.sh DIR PORT NODE_PORT…}
port=${2:?usage: nginx-conf.sh DIR PORT NODE_PORT…}
shift 2
mkdir -p "$dir"
{
  [ "$(id -u)" -eq 0 ] && echo "user root;"
  cat <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  upstream paperboy {
$(for node in "$@"; do echo "    server 127.0.0.1:$node;"; done)
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://paperboy;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
} >"$dir/nginx.conf"
