import { serviceModel, shapeOf } from './service-model.ts';

/**
 * Keeps only the members an operation's output shape has. For answers that echo what a
 * caller wrote elsewhere (a job's arguments in a pipeline definition), so the echo never
 * carries a member AWS's answer cannot have.
 */
export function onlyOutputMembers(
  service: string,
  operation: string,
  output: Record<string, unknown>,
): Record<string, unknown> {
  const model = serviceModel(service);
  const shapeName = model?.operations[operation]?.output?.shape;
  if (!model || !shapeName) return output;
  const members = shapeOf(model, shapeName).members ?? {};
  return Object.fromEntries(Object.entries(output).filter(([name]) => Object.hasOwn(members, name)));
}
