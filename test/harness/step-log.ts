/** Moved to local-runner/; this path stays for the demo and tests that import it. */
export * from '../../local-runner/step-log.ts';
