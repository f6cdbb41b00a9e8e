public enum ShrikeTestSupportPlaceholder {}
