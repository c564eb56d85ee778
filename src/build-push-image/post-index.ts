import { runAction } from '../shared/run-action.ts';
import { runPost } from './post.ts';

void runAction('build-push-image (post)', runPost);
