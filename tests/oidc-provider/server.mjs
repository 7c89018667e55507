// A real OpenID Connect provider (the npm package oidc-provider) for the dashboard's end-to-end sign-in tests.
// Usage: node server.mjs --port 0 --redirect-base http://127.0.0.1:5123
// Listens on 127.0.0.1 only and prints "listening http://127.0.0.1:PORT" once ready. Its login and consent pages are
// oidc-provider's development interactions (any password; the login names the account); only the users below exist.
import Provider from 'oidc-provider';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) =>
  (i % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[i + 1]]] : pairs), []));
const port = Number(args.port ?? 0);
const redirectBase = (args['redirect-base'] ?? '').replace(/\/$/, '');
if (!redirectBase) {
  console.error('--redirect-base (the dashboard URL) is required');
  process.exit(2);
}

// Users and their groups: the dashboard maps groups to roles (Authentication:Oidc:RoleMapping).
export const users = {
  alice: { name: 'Alice Admin', email: 'alice@example.test', groups: ['kms-admins', 'staff'] },
  oscar: { name: 'Oscar Operator', email: 'oscar@example.test', groups: ['kms-operators', 'staff'] },
  vera: { name: 'Vera Viewer', email: 'vera@example.test', groups: ['staff'] },
};

const start = async () => {
  const http = await import('node:http');
  const server = http.createServer();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'kmsdashboard',
      client_secret: 'kmsdashboard-test-secret',
      redirect_uris: [`${redirectBase}/signin-oidc`],
      post_logout_redirect_uris: [`${redirectBase}/signout-callback-oidc`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    async findAccount(ctx, id) {
      const user = users[id];
      if (!user) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, name: user.name, email: user.email, groups: user.groups };
        },
      };
    },
    claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    cookies: { keys: ['kmsdashboard-oidc-test-cookie-key'] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  console.log(`listening ${issuer}`);
};

start().catch((error) => {
  console.error(error);
  process.exit(1);
});
