namespace OrleansFlow.Silo.Notifications;

/// <summary>How the connection to an SMTP server is secured (the <c>email</c> block's <c>smtp_type</c>).</summary>
internal enum SmtpType
{
    /// <summary>TLS from the start (port 465).</summary>
    Ssl,

    /// <summary>Plain, upgraded to TLS by STARTTLS after EHLO (port 587).</summary>
    StartTls,

    /// <summary>No TLS (port 25; tests and trusted networks only).</summary>
    Insecure,
}
