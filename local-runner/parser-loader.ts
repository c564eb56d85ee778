/**
 * Loads GitHub's @actions/workflow-parser. Its ESM build imports its JSON schema
 * without `with { type: 'json' }`, which bundlers accept and Node refuses; a
 * resolve hook adds the attribute for that package's JSON files only. The hook
 * must be in place before the package is linked, hence the dynamic import.
 */
import { registerHooks } from 'node:module';
import type * as Parser from '@actions/workflow-parser';

type WorkflowParser = typeof Parser;

let loading: Promise<WorkflowParser> | undefined;

export function loadWorkflowParser(): Promise<WorkflowParser> {
  if (!loading) {
    registerHooks({
      resolve(specifier, context, nextResolve) {
        const resolved = nextResolve(specifier, context);
        if (resolved.url.includes('/@actions/workflow-parser/') && resolved.url.endsWith('.json')) {
          return { ...resolved, importAttributes: { ...context.importAttributes, type: 'json' } };
        }
        return resolved;
      },
    });
    loading = import('@actions/workflow-parser');
  }
  return loading;
}
