import { describe, expect, it } from 'vitest';
import { AgentDefaults, AgentEnv } from '../api/index.ts';
import { resolveAgentConfig } from './agent-config.ts';

const IDENTITY = {
  [AgentEnv.podName]: 'gw-0',
  [AgentEnv.podNamespace]: 'site1',
  [AgentEnv.podUid]: '0b7c3c52-9c1f-4b7e-9d1e-3f0c2b6a1d00',
  [AgentEnv.crName]: 'plant',
};

describe('resolveAgentConfig', () => {
  it('reads identity and routing from the injected environment, with the contract defaults for directories', () => {
    const result = resolveAgentConfig({ ...IDENTITY, [AgentEnv.syncProfile]: 'site' });
    expect(result).toEqual({
      ok: true,
      config: {
        identity: {
          podName: 'gw-0',
          namespace: 'site1',
          podUid: '0b7c3c52-9c1f-4b7e-9d1e-3f0c2b6a1d00',
          crName: 'plant',
          routing: { kind: 'profile', profile: 'site' },
          gatewayName: 'gw-0',
        },
        settings: {
          dataDir: AgentDefaults.dataDir,
          secretsDir: AgentDefaults.secretsDir,
          workDir: AgentDefaults.workDir,
        },
      },
    });
  });

  it('flags win over the environment', () => {
    const result = resolveAgentConfig(
      {
        ...IDENTITY,
        [AgentEnv.servicePath]: 'gateways/site',
        [AgentEnv.gatewayName]: 'Site Gateway',
        [AgentEnv.dataDir]: '/env/data',
        [AgentEnv.secretsDir]: '/env/secrets',
        [AgentEnv.workDir]: '/env/work',
        [AgentEnv.gatewayUrl]: 'http://env:8088',
      },
      { dataDir: '/flag/data', gatewayUrl: 'https://flag:8043', workDir: '/flag/work' },
    );
    expect(result.ok && result.config).toEqual({
      identity: expect.objectContaining({
        routing: { kind: 'servicePath', servicePath: 'gateways/site' },
        gatewayName: 'Site Gateway',
      }),
      settings: {
        dataDir: '/flag/data',
        secretsDir: '/env/secrets',
        workDir: '/flag/work',
        gatewayUrl: 'https://flag:8043',
      },
    });
  });

  it('lists every problem at once', () => {
    const result = resolveAgentConfig({
      [AgentEnv.podName]: 'Not_A_Name',
      [AgentEnv.syncProfile]: 'site',
      [AgentEnv.servicePath]: '.',
      [AgentEnv.gatewayUrl]: 'ftp://x',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      `${AgentEnv.podName}="Not_A_Name" is not a valid Kubernetes name`,
      `${AgentEnv.podNamespace} is not set`,
      `${AgentEnv.podUid} is not set`,
      `${AgentEnv.crName} is not set`,
      `${AgentEnv.syncProfile} and ${AgentEnv.servicePath} are both set: set exactly one`,
      'gateway url "ftp://x" must start with http:// or https://',
    ]);
  });

  it('needs a profile or a service path', () => {
    const result = resolveAgentConfig({ ...IDENTITY, [AgentEnv.syncProfile]: '  ' });
    expect(!result.ok && result.problems).toEqual([
      `neither ${AgentEnv.syncProfile} nor ${AgentEnv.servicePath} is set: set exactly one`,
    ]);
  });
});
