namespace Dashboard.Client.Model;

/// <summary>How a Kubernetes object was tied to an AWS resource, in order of trust.</summary>
public enum LinkSource { TargetGroupBinding, ControllerTags, StatusHostname }
