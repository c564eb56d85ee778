/**
 * The one place the local runner uses the actions' own runtime (src/runtime/), so that it reads
 * settings exactly as the actions do; every other runner file stays off src/ (README: Layout).
 */
export { clockScale } from '../src/runtime/clock.ts';
