namespace KmsDashboard.EndToEnd.Cluster;

/// <summary>
/// The nginx configuration the cluster test runs (and the README shows): two dashboard instances, sticky by a cookie
/// nginx sets on the first response (stock nginx has no <c>sticky</c>; <c>hash … consistent</c> on the cookie does it),
/// WebSockets passed through for Blazor's circuit, and the chosen upstream named in a header the test reads.
/// </summary>
internal static class NginxConfig
{
    public static string For(string prefix, int listenPort, IEnumerable<int> upstreamPorts) => $$"""
        # Started in the foreground (the test stops it by its process): nginx -p {{prefix}} -c nginx.conf -e stderr
        daemon off;
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        worker_processes 1;
        pid {{prefix}}/nginx.pid;
        error_log stderr warn;
        events { worker_connections 512; }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/client_body;
            proxy_temp_path {{prefix}}/proxy;
            fastcgi_temp_path {{prefix}}/fastcgi;
            uwsgi_temp_path {{prefix}}/uwsgi;
            scgi_temp_path {{prefix}}/scgi;

            # Blazor Server keeps a WebSocket per circuit: pass the upgrade through.
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            # Stickiness: a browser without the cookie gets a random one (the request id) and keeps it.
            map $cookie_kmsdash_node $kmsdash_node { '' $request_id; default $cookie_kmsdash_node; }

            upstream dashboard {
                hash $kmsdash_node consistent;
        {{string.Join("\n", upstreamPorts.Select(p => $"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;"))}}
            }

            server {
                listen 127.0.0.1:{{listenPort}};
                location / {
                    proxy_pass http://dashboard;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_read_timeout 1h;
                    proxy_buffering off;
                    add_header Set-Cookie "kmsdash_node=$kmsdash_node; Path=/; HttpOnly; SameSite=Lax" always;
                    add_header X-Dashboard-Upstream $upstream_addr always;
                }
            }
        }
        """;
}
