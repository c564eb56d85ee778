import { runAction } from '../runtime/run-action.ts';
import { runPost } from './post.ts';

void runAction('start-execution (post)', runPost);
