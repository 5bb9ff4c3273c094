package io.graywatch.server.api;

import io.graywatch.server.testing.OnH2;

@OnH2
class ApiOnH2Test extends ApiTests {
}
