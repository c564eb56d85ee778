import { runAction } from '../runtime/run-action.ts';
import { runPost } from './post.ts';

void runAction('assume-cross-account-role (post)', runPost);
