/** The step runner moved to local-runner/; this path stays for the tests and scripts that import it. */
export * from '../../local-runner/job.ts';
