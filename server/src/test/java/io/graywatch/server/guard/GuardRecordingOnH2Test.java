package io.graywatch.server.guard;

import io.graywatch.server.testing.OnH2;

@OnH2
class GuardRecordingOnH2Test extends GuardRecordingTests {
}
