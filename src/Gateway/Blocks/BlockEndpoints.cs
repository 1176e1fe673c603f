using Microsoft.AspNetCore.Routing;

namespace OrleansFlow.Gateway.Blocks;

/// <summary>Maps the block routes: types, schemas, documents and capabilities.</summary>
internal static class BlockEndpoints
{
    public static void MapBlocks(this RouteGroupBuilder api)
    {
        api.MapBlockTypes();
        api.MapBlockSchemas();
        api.MapBlockDocuments();
    }
}
