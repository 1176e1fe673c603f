namespace OrleansFlow.Ui.Rendering;

/// <summary>The input a deployment parameter gets in the run form.</summary>
public enum ParameterKind
{
    /// <summary>A text box.</summary>
    String,

    /// <summary>A number box with step 1.</summary>
    Integer,

    /// <summary>A number box.</summary>
    Number,

    /// <summary>A checkbox.</summary>
    Boolean,

    /// <summary>A drop-down of the schema's <c>enum</c> values.</summary>
    Enum,

    /// <summary>A JSON text area (objects, arrays and anything the schema does not pin down).</summary>
    Json,
}
