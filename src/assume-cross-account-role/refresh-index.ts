import { runRefresher } from './refresh.ts';

// An explicit exit: open keep-alive sockets of the SDK's HTTP agent must not keep the calling tool waiting.
void runRefresher(process.argv.slice(2)).then((code) => process.exit(code));
