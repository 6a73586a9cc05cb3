namespace Dashboard.Client.Model;

public sealed record ForwardView(string TargetGroupArn, string TargetGroupName, int? Weight);
