package io.graywatch.server.release;

import io.graywatch.server.testing.OnH2;

@OnH2
class ReleaseOrchestrationOnH2Test extends ReleaseOrchestrationTests {
}
