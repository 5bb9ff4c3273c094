package io.graywatch.server.release;

class RestartOnH2Test extends RestartTests {
    @Override
    String database() {
        return "h2";
    }
}
