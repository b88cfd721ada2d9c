import { HEALTH_CHECK_PATH, TARGET_PORT } from "./load-balancer";

export interface StorefrontSettings {
    region: string;
    /** The cache's AUTH secret; the application reads it with the instance role. */
    cacheSecretArn: string;
}

/** Where the storefront application listens on each server; nginx proxies to it. */
export const APPLICATION_PORT = 3000;

/**
 * The first-boot script of a web server (Amazon Linux 2023): nginx terminates the load balancer's
 * HTTPS on TARGET_PORT with a per-instance self-signed key (ALB does not validate target
 * certificates, so the hop is encrypted without distributing a secret), answers the health check
 * itself, proxies pages to the storefront application on localhost, and serves a static fallback
 * page while the application is not answering. The application itself is deployed by its pipeline
 * through SSM; its settings are in /etc/storefront/storefront.env. Nothing secret is in here.
 */
export function storefrontUserData(settings: StorefrontSettings): string {
    return `#!/bin/bash
set -euo pipefail
dnf install -y nginx

install -d -m 0700 /etc/nginx/tls
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=storefront" \\
  -keyout /etc/nginx/tls/storefront.key -out /etc/nginx/tls/storefront.crt

install -d -m 0755 /etc/storefront /usr/share/nginx/storefront
cat > /etc/storefront/storefront.env <<'EOF'
AWS_REGION=${settings.region}
CACHE_SECRET_ARN=${settings.cacheSecretArn}
PORT=${APPLICATION_PORT}
EOF
cat > /usr/share/nginx/storefront/index.html <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>We will be right back</h1><p>The shop is being updated. Please try again in a minute.</p></body></html>
EOF

cat > /etc/nginx/conf.d/storefront.conf <<'EOF'
server {
    listen ${TARGET_PORT} ssl;
    server_name _;
    ssl_certificate     /etc/nginx/tls/storefront.crt;
    ssl_certificate_key /etc/nginx/tls/storefront.key;
    ssl_protocols       TLSv1.2 TLSv1.3;

    location = ${HEALTH_CHECK_PATH} { access_log off; default_type text/plain; return 200 "ok\\n"; }

    location / {
        proxy_pass http://127.0.0.1:${APPLICATION_PORT};
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto https;
        proxy_intercept_errors on;
        # The fallback page goes out as 503: a down application must show as down to the load
        # balancer's 5xx alarm and the Route 53 health check, not as a healthy 200.
        error_page 502 503 504 =503 @static;
    }
    location @static {
        root /usr/share/nginx/storefront;
        add_header Retry-After 60 always;
        try_files /index.html =503;
    }
}
EOF
systemctl enable --now nginx
`;
}
