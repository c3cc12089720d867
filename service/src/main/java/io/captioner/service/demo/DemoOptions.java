package io.captioner.service.demo;

/** The demo's command-line options. */
record DemoOptions(int calls, int concurrent, int httpPort, String model, boolean help) {
    static DemoOptions parse(String[] args) {
        int calls = 0;
        int concurrent = 2;
        int httpPort = 8080;
        String model = "models/u2pp-moe-telephony";
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls" -> calls = number(args, ++i, "--calls", 1);
                case "--concurrent" -> concurrent = number(args, ++i, "--concurrent", 1);
                case "--http-port" -> httpPort = number(args, ++i, "--http-port", 0);
                case "--model" -> model = value(args, ++i, "--model");
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new DemoOptions(calls, concurrent, httpPort, model, help);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, String flag, int min) {
        String v = value(args, i, flag);
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + v + "'");
        }
    }
}
