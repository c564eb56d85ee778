import { runAction } from '../shared/run-action.ts';
import { ACTION_NAME, run } from './main.ts';

void runAction(ACTION_NAME, run);
