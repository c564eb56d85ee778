// Replaced at bundle time with package.json's version; tests and scripts that
// run the sources directly see the fallback.
declare const MLOPS_ACTIONS_VERSION: string | undefined;

export const VERSION: string = typeof MLOPS_ACTIONS_VERSION === 'string' ? MLOPS_ACTIONS_VERSION : '0.0.0-dev';
