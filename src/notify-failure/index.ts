import { runAction } from '../runtime/run-action.ts';
import { ACTION_NAME, run } from './main.ts';

void runAction(ACTION_NAME, run);
