public enum ShrikeReportPlaceholder {}
