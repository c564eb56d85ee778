/** What an endpoint's status says about it, for deploying to it, waiting on it and rolling it back. */

/** On the way to another state: a wait goes on, and a rollback is not over yet. */
export const ENDPOINT_CHANGING: ReadonlySet<string> = new Set([
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
]);

/** Any of these and SageMaker refuses an UpdateEndpoint: a deployment waits for the endpoint to settle. */
export const ENDPOINT_BUSY: ReadonlySet<string> = new Set([...ENDPOINT_CHANGING, 'Deleting']);
