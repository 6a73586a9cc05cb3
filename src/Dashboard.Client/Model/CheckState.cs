namespace Dashboard.Client.Model;

public enum CheckState { Pass, Warn, Fail, Unknown }
