/** The scenario and clock admin API that tests and the demo use to steer simulated SageMaker. */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreatePipelineCommand,
  DescribePipelineExecutionCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { describe, expect, it } from 'vitest';
import { ScenarioStore } from '../../emulator/scenario.ts';
import { sagemaker } from '../../testkit/clients.ts';
import { useEmulator } from '../../testkit/emulator.ts';
import { definition, PIPELINE_ROLE, token, training } from '../../testkit/sagemaker.ts';
import { ALICE, world } from '../../testkit/worlds/emulator-tests.ts';

const t = useEmulator(world);

describe('scenario', () => {
  it('merges "*" entries under named ones, field by field', () => {
    const store = new ScenarioStore();
    store.set({
      pipelines: {
        '*': { steps: { '*': { durationSeconds: 1 }, Train: { attempts: 2 } } },
        churn: { steps: { Train: { outcome: 'Failed' } } },
      },
      endpoints: { '*': { updateSeconds: 5 }, prod: { updateOutcome: 'RolledBack' } },
    });
    expect(store.step('churn', 'Train')).toEqual({ durationSeconds: 1, attempts: 2, outcome: 'Failed' });
    expect(store.step('other', 'Eval')).toEqual({ durationSeconds: 1 });
    expect(store.endpoint('prod')).toEqual({ updateSeconds: 5, updateOutcome: 'RolledBack' });
  });

  it('is replaced, read back and cleared by reset through the admin API; typos are refused', async () => {
    const scenario = { pipelines: { p: { steps: { S: { outcome: 'Failed' as const } } } } };
    expect(await t.admin.setScenario(scenario)).toEqual(scenario);
    expect(await t.admin.scenario()).toEqual(scenario);
    await expect(
      t.admin.setScenario({ pipelines: { p: { steps: { S: { outcom: 'Failed' } as never } } } }),
    ).rejects.toThrow(/scenario\.pipelines\["p"\]\.steps\["S"\]\.outcom is not a known field/);
    await expect(t.admin.setScenario({ endpoints: { e: { updateOutcome: 'Maybe' as never } } })).rejects.toThrow(
      /\(400\)/,
    );
    await t.admin.reset();
    expect(await t.admin.scenario()).toEqual({});
  });

  it('changes the clock scale without a restart, so a 60 s step passes in a blink', async () => {
    await sagemaker(t.endpoint, ALICE).send(
      new CreatePipelineCommand({
        PipelineName: 'fast',
        PipelineDefinition: definition([training('Train')]),
        RoleArn: PIPELINE_ROLE,
      }),
    );
    expect((await t.admin.setClockScale(1000)).scale).toBe(1000);
    const { PipelineExecutionArn } = await sagemaker(t.endpoint, ALICE).send(
      new StartPipelineExecutionCommand({ PipelineName: 'fast', ClientRequestToken: token('fast') }),
    );
    await sleep(150);
    const described = await sagemaker(t.endpoint, ALICE).send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn }),
    );
    expect(described.PipelineExecutionStatus).toBe('Succeeded');
    await expect(t.admin.setClockScale(0)).rejects.toThrow(/scale must be a positive number/);
    await t.admin.reset();
    expect((await t.admin.clock()).scale).toBe(1);
  });
});
