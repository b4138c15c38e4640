// ES module entry of the platform smoke run (see smoke-core.cjs): the package through its "import" export.
import * as kafka from 'kafka-napi';
import core from './smoke-core.cjs';
core.report(core.run(kafka, 'esm'));
