import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { contractSuite } from './suite.js';

contractSuite('the in-process transport', () => ({
  connect: async (t) => inProcessClient(t.backend.dispatcher),
}));
