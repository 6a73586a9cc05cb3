namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// State shared by the controller's reconcilers on its single loop: the in-tree NLBs' target bindings (which have no
/// TargetGroupBinding object). Not thread-safe; only the loop touches it.
/// </summary>
internal sealed class ControllerState
{
    private readonly Dictionary<string, IReadOnlyList<TargetBinding>> _inTree = new(StringComparer.Ordinal);

    public void SetInTreeBindings(string stackKey, IReadOnlyList<TargetBinding> bindings)
    {
        if (bindings.Count == 0)
        {
            _inTree.Remove(stackKey);
        }
        else
        {
            _inTree[stackKey] = bindings;
        }
    }

    public IEnumerable<TargetBinding> InTreeBindings => _inTree.Values.SelectMany(b => b);
}
