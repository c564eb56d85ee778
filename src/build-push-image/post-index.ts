import { runAction } from '../runtime/run-action.ts';
import { runPost } from './post.ts';

void runAction('build-push-image (post)', runPost);
