/** The services every emulator serves. One line per service; each module owns its own state. */
import type { OidcIssuer } from '../oidc-issuer.ts';
import type { ServiceDefinition } from '../registry.ts';
import { createStsService } from './sts.ts';

export function builtInServices(issuer: OidcIssuer): ServiceDefinition[] {
  return [createStsService(issuer)];
}
