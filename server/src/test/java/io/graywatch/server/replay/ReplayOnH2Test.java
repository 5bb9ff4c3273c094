package io.graywatch.server.replay;

import io.graywatch.server.testing.OnH2;

@OnH2
class ReplayOnH2Test extends ReplayTests {
}
