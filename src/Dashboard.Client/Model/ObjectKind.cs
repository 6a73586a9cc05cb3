namespace Dashboard.Client.Model;

/// <summary>Kinds of objects a page can show in detail.</summary>
public enum ObjectKind { Service, Ingress }
