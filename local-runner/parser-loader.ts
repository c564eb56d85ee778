/**
 * Loads GitHub's @actions/workflow-parser. Its ESM build imports its JSON schema
 * without `with { type: 'json' }`, which bundlers accept and Node refuses; a
 * resolve hook adds the attribute for that package's JSON files only. The hook
 * must be in place before the package is linked, hence the dynamic import.
 */
import { registerHooks } from 'node:module';
import type * as Parser from '@actions/workflow-parser';
import type * as ActionParser from '@actions/workflow-parser/actions/index';

type WorkflowParser = typeof Parser;
type ActionManifestParser = typeof ActionParser;

let hooked = false;
let loading: Promise<WorkflowParser> | undefined;
let loadingActions: Promise<ActionManifestParser> | undefined;

function addJsonHook(): void {
  if (hooked) return;
  hooked = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (resolved.url.includes('/@actions/workflow-parser/') && resolved.url.endsWith('.json')) {
        return { ...resolved, importAttributes: { ...context.importAttributes, type: 'json' } };
      }
      return resolved;
    },
  });
}

export function loadWorkflowParser(): Promise<WorkflowParser> {
  if (!loading) {
    addJsonHook();
    loading = import('@actions/workflow-parser').then(async (parser) => {
      await fixSchema();
      return parser;
    });
  }
  return loading;
}

/**
 * The package's schema (0.3.61) names `branch_protection_rule` as the only
 * spelling of `repository-dispatch-string`, so `on: repository_dispatch` (as a
 * string or in a list) is refused although GitHub runs it. The parser keeps
 * one schema, loaded once; its definition is corrected before any parse.
 */
async function fixSchema(): Promise<void> {
  const { getWorkflowSchema } = await import('@actions/workflow-parser/workflows/workflow-schema');
  const definition = getWorkflowSchema().definitions['repository-dispatch-string'] as { constant?: string } | undefined;
  if (definition?.constant === 'branch_protection_rule') definition.constant = 'repository_dispatch';
}

/** The same package's action.yml parser (GitHub's action manifest schema: inputs, runs, branding …). */
export function loadActionParser(): Promise<ActionManifestParser> {
  if (!loadingActions) {
    addJsonHook();
    loadingActions = import('@actions/workflow-parser/actions/index');
  }
  return loadingActions;
}
