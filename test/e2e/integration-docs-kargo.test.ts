import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { IgnitionSync } from '../../src/api/index.ts';
import { runDocRender } from '../harness/doc-render.ts';
import {
  accepted,
  block,
  type Obj,
  type SentRequest,
  SHA,
  send,
  useDocsReceiver,
  type WithStringData,
  withoutHeader,
  yamlOf,
} from '../harness/docs-receiver.ts';

// docs/integrations/kargo.md: every ${{ }} expression of its Stages evaluated with expr-lang and Kargo's
// result rules (testenv/doc-render), the http step's request sent to the real receiver, the git steps applied
// to the README's IgnitionSync. Shared set-up: test/harness/docs-receiver.ts.

const docs = useDocsReceiver();
let render: string;
let key: string;
beforeAll(() => {
  ({ render, key } = docs());
});

// ------------------------------------------------------------------------------------------------ Kargo

interface KargoStep {
  uses: string;
  as?: string;
  config: Obj;
}
interface KargoStage {
  spec: {
    requestedFreight: { origin: { kind: string; name: string } }[];
    promotionTemplate: { spec: { vars: { name: string; value: string }[]; steps: KargoStep[] } };
  };
}

function kargoContext(tag: string) {
  const warehouse = yamlOf<{
    metadata: { name: string };
    spec: { subscriptions: { git: { repoURL: string } }[] };
  }>('kargo-warehouse');
  const secret = yamlOf<{ metadata: { name: string } } & WithStringData>('kargo-secret');
  return {
    commits: warehouse.spec.subscriptions.map((s) => ({ RepoURL: s.git.repoURL, ID: SHA, Tag: tag })),
    secrets: { [secret.metadata.name]: secret.stringData },
    warehouse: warehouse.metadata.name,
  };
}

async function evaluateSteps(stageId: string, tag: string, env: Obj = {}): Promise<KargoStep[]> {
  const stage = yamlOf<KargoStage>(stageId);
  const ctx = kargoContext(tag);
  expect(stage.spec.requestedFreight[0]?.origin).toEqual({ kind: 'Warehouse', name: ctx.warehouse });
  const vars = Object.fromEntries(stage.spec.promotionTemplate.spec.vars.map((v) => [v.name, v.value]));
  const steps: KargoStep[] = [];
  for (const step of stage.spec.promotionTemplate.spec.steps) {
    const config = await runDocRender<Obj>(render, { mode: 'kargo', config: step.config, vars, env, ...ctx });
    steps.push({ ...step, config });
  }
  return steps;
}

describe('docs/integrations/kargo.md', () => {
  it('the Kargo secret holds the webhook key and is a generic credential', () => {
    const secret = yamlOf<{ metadata: { labels: Obj } } & WithStringData>('kargo-secret');
    expect(secret.stringData.key).toBe(key);
    expect(secret.metadata.labels['kargo.akuity.io/cred-type']).toBe('generic');
  });

  it("the seed's body form would become an object (failing the http step's string schema); the documented one stays a string", async () => {
    const vars = { repoURL: 'https://github.com/inductive-automation/conf-proveit26-app.git' };
    const seed = await runDocRender<Obj>(render, {
      mode: 'kargo',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the seed's Kargo expression, not a JS template
      config: { body: '{"ref": "${{ commitFrom(vars.repoURL).Tag }}"}' },
      vars,
      ...kargoContext('2.0.1'),
    });
    expect(seed.body).toEqual({ ref: '2.0.1' });
  });

  it('the http step sends a request the receiver accepts (202, the promoted tag; successExpression true) and refuses without the key (401; failureExpression true)', async () => {
    const [http] = await evaluateSteps('kargo-stage-http', '2.0.1');
    expect(http?.uses).toBe('http');
    const config = http?.config as {
      method: string;
      url: string;
      headers: { name: string; value: string }[];
      body: unknown;
      successExpression: string;
      failureExpression: string;
    };
    expect(typeof config.body).toBe('string');
    const req: SentRequest = {
      method: config.method,
      url: config.url,
      headers: Object.fromEntries(config.headers.map((h) => [h.name, h.value])),
      body: config.body as string,
    };
    expect(req.headers.Authorization).toBe(`Bearer ${key}`);
    const check = async (response: { status: number; body: Obj }) => ({
      success: (
        await runDocRender<{ result: unknown }>(render, {
          mode: 'expr',
          when: config.successExpression,
          vars: { response },
        })
      ).result,
      failure: (
        await runDocRender<{ result: unknown }>(render, {
          mode: 'expr',
          when: config.failureExpression,
          vars: { response },
        })
      ).result,
    });

    const ok = await send(req);
    expect(ok).toEqual({ status: 202, body: { accepted: true, ref: '2.0.1' } });
    expect(await check(ok)).toEqual({ success: true, failure: false });
    expect(accepted.map((a) => a.ref)).toEqual(['2.0.1']);

    const refused = await send({ ...req, headers: withoutHeader(req.headers, 'authorization') });
    expect(refused.status).toBe(401);
    expect(await check(refused)).toEqual({ success: false, failure: true });
  });

  it('the git alternative sets spec.git.ref of the IgnitionSync to the promoted tag, as a string even for "2.0"', async () => {
    for (const tag of ['2.0.1', '2.0']) {
      const steps = await evaluateSteps('kargo-stage-git', tag, {
        outputs: { 'update-ref': { commitMessage: `Updated spec.git.ref to ${tag}` } },
      });
      expect(steps.map((s) => s.uses)).toEqual(['git-clone', 'yaml-update', 'git-commit', 'git-push']);
      const [clone, update, commit, push] = steps.map((s) => s.config) as [
        { repoURL: string; checkout: { branch: string; path: string }[] },
        { path: string; updates: { key: string; value: unknown }[] },
        { path: string; message: string },
        { path: string },
      ];
      expect(clone.repoURL).toBe('https://github.com/inductive-automation/site1-deploy.git');
      const workTree = clone.checkout[0]?.path;
      expect(update.path.startsWith(`${workTree}/`)).toBe(true);
      expect([commit.path, push.path]).toEqual([workTree, workTree]);
      expect(commit.message).toBe(`Updated spec.git.ref to ${tag}`);

      // yaml-update on the IgnitionSync the README shows: keys are dot-separated paths.
      const doc = parseDocument(block('ignitionsync-webhook').text);
      for (const u of update.updates) doc.setIn(u.key.split('.'), u.value);
      const updated = IgnitionSync.parse(doc.toJS());
      expect(updated.spec.git.ref).toBe(tag);
    }
  });
});
