import type { Handler, OperationDefinition, ServiceDefinition } from '../../registry.ts';
import type { EmulatorState } from '../../state.ts';
import { endpointConfigOperations } from './endpoint-configs.ts';
import { endpointOperations, hostingArnExists } from './endpoints.ts';
import { executionOperations } from './executions.ts';
import { settleHosting } from './hosting-store.ts';
import { jobOperations } from './jobs.ts';
import { modelPackageOperations, registryArnExists } from './model-packages.ts';
import { modelOperations } from './models.ts';
import { pipelineExists, pipelineOperations } from './pipelines.ts';
import { settlePipelines } from './simulation.ts';
import { tagOperations, type ArnExists } from './tags.ts';

/**
 * SageMaker is one service (one X-Amz-Target prefix, one signing name) assembled from
 * per-area operation maps. Before every call (to any service) its simulated resources are
 * brought up to the simulated now, so whatever a caller reads reflects time passed since it
 * last looked.
 */

function settle(state: EmulatorState): void {
  settlePipelines(state);
  settleHosting(state);
}

const TAGGABLE: ArnExists[] = [pipelineExists, registryArnExists, hostingArnExists];

const AREAS: Record<string, Handler>[] = [
  pipelineOperations,
  executionOperations,
  jobOperations,
  modelPackageOperations,
  modelOperations,
  endpointConfigOperations,
  endpointOperations,
  tagOperations(TAGGABLE),
];

export function createSageMakerService(): ServiceDefinition {
  const operations: Record<string, OperationDefinition> = {};
  for (const area of AREAS) {
    for (const [name, handler] of Object.entries(area)) {
      if (Object.hasOwn(operations, name)) throw new Error(`SageMaker operation ${name} is defined twice`);
      operations[name] = { handler };
    }
  }
  return { name: 'sagemaker', protocol: 'awsJson1_1', targetPrefix: 'SageMaker', operations, settle };
}
