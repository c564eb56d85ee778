/**
 * One InvokeEndpoint call, read as the container's answer: a 200 with its body, or the status and
 * body the container gave that SageMaker Runtime reports as a ModelError (424). Anything else (the
 * endpoint unknown, throttled past our retries, a timeout) is an error of the call, not an answer.
 */
import { InvokeEndpointCommand, ModelError, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ActionError, describeError } from '../runtime/errors.ts';
import type { Answer } from './check.ts';
import type { Inputs } from './inputs.ts';

export interface Invocation extends Answer {
  variant?: string;
  elapsedMs: number;
}

/** Tries of one invocation (the runtime client's maxAttempts): each may run the model, so fewer than other calls get. */
export const INVOKE_ATTEMPTS = 3;

export async function invoke(client: SageMakerRuntimeClient, inputs: Inputs): Promise<Invocation> {
  const started = Date.now();
  // One budget for the tries and the pauses between them.
  const deadline = AbortSignal.timeout(inputs.requestTimeoutSeconds * 1000);
  try {
    const answer = await client.send(
      new InvokeEndpointCommand({
        EndpointName: inputs.endpointName,
        Body: inputs.body,
        ContentType: inputs.contentType,
        ...(inputs.accept ? { Accept: inputs.accept } : {}),
        ...(inputs.targetVariant ? { TargetVariant: inputs.targetVariant } : {}),
      }),
      { abortSignal: deadline },
    );
    return {
      httpStatus: 200,
      body: new TextDecoder().decode(answer.Body),
      ...(answer.ContentType ? { contentType: answer.ContentType } : {}),
      ...(answer.InvokedProductionVariant ? { variant: answer.InvokedProductionVariant } : {}),
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    if (error instanceof ModelError) {
      return {
        httpStatus: error.OriginalStatusCode ?? 424,
        body: error.OriginalMessage ?? error.message,
        elapsedMs: Date.now() - started,
      };
    }
    if (deadline.aborted || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')))
      throw new ActionError(
        `${inputs.endpointName} did not answer within ${inputs.requestTimeoutSeconds}s (request-timeout-seconds)`,
      );
    throw new ActionError(`invoking ${inputs.endpointName} failed: ${describeError(error)}`);
  }
}
