/** The services every emulator serves. One line per service; each module owns its own state. */
import type { OidcIssuer } from '../oidc-issuer.ts';
import type { ServiceDefinition } from '../registry.ts';
import { createEcrService } from './ecr.ts';
import { createEventsService } from './events/index.ts';
import { createLogsService } from './logs.ts';
import { createS3Service } from './s3.ts';
import { createSageMakerRuntimeService } from './sagemaker-runtime.ts';
import { createSageMakerService } from './sagemaker/index.ts';
import { createSchedulerService } from './scheduler/index.ts';
import { createSnsService } from './sns/index.ts';
import { createStsService } from './sts.ts';

export function builtInServices(issuer: OidcIssuer): ServiceDefinition[] {
  return [
    createStsService(issuer),
    createEcrService(),
    createSageMakerService(),
    createSageMakerRuntimeService(),
    createLogsService(),
    createS3Service(),
    // After SageMaker: settling advances executions first, then fires schedules, then delivers events.
    createSchedulerService(),
    createEventsService(),
    createSnsService(),
  ];
}
