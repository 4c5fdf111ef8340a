// A local OpenID Connect provider on 127.0.0.1 (oidc-provider) standing in for ProConnect:
// same protocol, scopes and claims, RS256 id_tokens and signed (JWT) userinfo responses.
// Its login step is answered automatically with the identity the test sets in `user`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

export interface TestIdentity {
  sub: string;
  email: string;
  given_name?: string;
  usual_name?: string;
  siret?: string;
  uid?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The identity the next login step signs in as. */
  user: TestIdentity;
  close(): Promise<void>;
}

const SCOPES = ['openid', 'email', 'given_name', 'usual_name', 'siret', 'uid'];

export async function startOidcProvider(options: { redirectUri: string; postLogoutRedirectUri: string; user: TestIdentity }): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const state: TestOidcProvider = {
    issuer,
    clientId: 'maillage-test',
    clientSecret: 'secret-de-test-maillage-0123456789abcdef',
    user: options.user,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: state.clientId,
        client_secret: state.clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: ['cle-de-signature-des-cookies-de-test'] },
    scopes: SCOPES,
    claims: { openid: ['sub'], email: ['email'], given_name: ['given_name'], usual_name: ['usual_name'], siret: ['siret'], uid: ['uid'] },
    features: { devInteractions: { enabled: false }, jwtUserinfo: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ ...state.user, sub }) }),
    // Agents do not see a consent screen at ProConnect: every requested scope is granted.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(SCOPES.join(' '));
      await grant.save();
      return grant;
    },
  });
  // The login page of the provider, answered at once as `state.user`.
  provider.use(async (ctx, next) => {
    if (ctx.path.startsWith('/interaction/')) {
      const url = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: state.user.sub } }, { mergeWithLastSubmission: false });
      ctx.status = 303;
      ctx.redirect(url);
      return;
    }
    await next();
  });
  server.on('request', provider.callback());
  return state;
}
