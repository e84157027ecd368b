using System.Data.Common;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>Shorthands for building commands with <c>@name</c> parameters on any ADO.NET provider.</summary>
internal static class SqlCommands
{
    /// <summary>A command on the connection, enlisted in the transaction when there is one (SQLite requires it).</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Adds the parameter <c>@name</c>; null becomes SQL NULL.</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
