// Bundled in place of undici. @actions/http-client imports undici only for
// getAgentDispatcher(), the proxy hook of fetch-based clients such as Octokit;
// @actions/core (inputs, OIDC token) never calls it. Bundling the real undici
// added 415 kB and tens of milliseconds to every step's start.
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- the shape @actions/http-client imports
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled into mlops-actions; a fetch proxy dispatcher is not available');
  }
}
